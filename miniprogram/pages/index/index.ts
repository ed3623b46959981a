import { careMode } from '../../logic/care-mode';
import { storage } from '../../services/wx';

const care = careMode(storage);

Page({
  data: { greeting: '您好，欢迎使用安置区居民自助服务', care: care.enabled(), rootClass: care.rootClass() },
  toggleCare() {
    care.set(!care.enabled());
    this.setData({ care: care.enabled(), rootClass: care.rootClass() });
  },
});
